package com.acme.shop.profile;

import java.math.BigDecimal;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@Entity
class UserAccount {
    @Id @GeneratedValue Long id;
    String username;
    String displayName;
    String phone;
    String role = "CUSTOMER";
    boolean enabled = true;
    BigDecimal creditLimit = BigDecimal.ZERO;

    public Long getId() { return id; }
    public void setId(Long id) { this.id = id; }
    public String getUsername() { return username; }
    public void setUsername(String username) { this.username = username; }
    public String getDisplayName() { return displayName; }
    public void setDisplayName(String displayName) { this.displayName = displayName; }
    public String getPhone() { return phone; }
    public void setPhone(String phone) { this.phone = phone; }
    public String getRole() { return role; }
    public void setRole(String role) { this.role = role; }
    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
    public BigDecimal getCreditLimit() { return creditLimit; }
    public void setCreditLimit(BigDecimal creditLimit) { this.creditLimit = creditLimit; }
}

interface UserAccountRepository extends JpaRepository<UserAccount, Long> {
    UserAccount getByUsername(String username);
}

@RestController
@RequestMapping("/api/profile")
class ProfileController {
    private final UserAccountRepository accounts;

    ProfileController(UserAccountRepository accounts) {
        this.accounts = accounts;
    }

    @PutMapping
    @Transactional
    UserAccount update(@RequestBody UserAccount changes, @AuthenticationPrincipal UserDetails principal) {
        UserAccount current = accounts.getByUsername(principal.getUsername());
        changes.setId(current.getId());
        changes.setUsername(current.getUsername());
        return accounts.save(changes);
    }
}
