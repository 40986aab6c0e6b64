package com.acme.crm.customer;

import java.util.List;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

record Customer(long id, String name, String email, String status) {}

@Repository
class CustomerSearchRepository {

    private static final RowMapper<Customer> MAPPER = (rs, i) ->
            new Customer(rs.getLong("id"), rs.getString("name"), rs.getString("email"), rs.getString("status"));

    private final NamedParameterJdbcTemplate jdbc;

    CustomerSearchRepository(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    List<Customer> search(String name, String status) {
        StringBuilder sql = new StringBuilder("SELECT id, name, email, status FROM customers WHERE 1=1");
        MapSqlParameterSource params = new MapSqlParameterSource();
        if (name != null && !name.isBlank()) {
            sql.append(" AND lower(name) LIKE :name");
            params.addValue("name", "%" + name.toLowerCase() + "%");
        }
        if (status != null) {
            sql.append(" AND status = :status");
            params.addValue("status", status);
        }
        sql.append(" ORDER BY name LIMIT 100");
        return jdbc.query(sql.toString(), params, MAPPER);
    }
}

@Service
class CustomerService {
    private final CustomerSearchRepository repository;

    CustomerService(CustomerSearchRepository repository) {
        this.repository = repository;
    }

    List<Customer> find(String name, String status) {
        return repository.search(name, status);
    }
}

@RestController
@RequestMapping("/api/customers")
class CustomerController {
    private final CustomerService service;

    CustomerController(CustomerService service) {
        this.service = service;
    }

    @GetMapping
    List<Customer> search(@RequestParam(required = false) String name,
                          @RequestParam(required = false) String status) {
        return service.find(name, status);
    }
}
