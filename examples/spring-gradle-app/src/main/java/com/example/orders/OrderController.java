package com.example.orders;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/orders")
public class OrderController {

    public record NewOrder(@NotBlank String sku, @Min(1) int quantity) {
    }

    private final JdbcTemplate jdbc;

    public OrderController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping
    public List<Map<String, Object>> mine(Principal principal) {
        return jdbc.queryForList("SELECT id, sku, quantity FROM orders WHERE customer = ?", principal.getName());
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public void create(@Valid @RequestBody NewOrder order, Principal principal) {
        jdbc.update("INSERT INTO orders (customer, sku, quantity) VALUES (?, ?, ?)",
            principal.getName(), order.sku(), order.quantity());
    }

    @GetMapping("/sorted")
    public List<Map<String, Object>> sorted(@RequestParam String sort, Principal principal) {
        // Deliberate flaw for the scanner demo: the sort column comes straight from the request.
        return jdbc.queryForList("SELECT id, sku, quantity FROM orders WHERE customer = ? ORDER BY " + sort,
            principal.getName());
    }
}
