package com.acme.bank.statements;

import java.math.BigDecimal;
import java.util.Optional;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.server.ResponseStatusException;

@Entity
class Statement {
    @Id Long id;
    String ownerUsername;
    String label;
    BigDecimal closingBalance;

    public Long getId() { return id; }
    public String getLabel() { return label; }
    public void setLabel(String label) { this.label = label; }
    public BigDecimal getClosingBalance() { return closingBalance; }
}

interface StatementRepository extends JpaRepository<Statement, Long> {
    Optional<Statement> findByIdAndOwnerUsername(Long id, String ownerUsername);
}

record StatementLabelUpdate(@Size(max = 60) String label) {}

@Service
class StatementService {
    private final StatementRepository repository;

    StatementService(StatementRepository repository) {
        this.repository = repository;
    }

    Statement get(Long id, String username) {
        return repository.findById(id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    }

    @Transactional
    Statement relabel(Long id, String username, String label) {
        Statement statement = get(id, username);
        statement.setLabel(label);
        return statement;
    }
}

@RestController
@RequestMapping("/api/statements")
class StatementController {
    private final StatementService service;

    StatementController(StatementService service) {
        this.service = service;
    }

    @GetMapping("/{id}")
    Statement get(@PathVariable Long id, @AuthenticationPrincipal UserDetails user) {
        return service.get(id, user.getUsername());
    }

    @PutMapping("/{id}/label")
    Statement relabel(@PathVariable Long id, @Valid @RequestBody StatementLabelUpdate body,
                      @AuthenticationPrincipal UserDetails user) {
        return service.relabel(id, user.getUsername(), body.label());
    }
}
