package com.acme.accounts.security;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

@Configuration
class PasswordConfig {

    /** {bcrypt} by default, with the id prefix so the algorithm can be upgraded later. */
    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }
}

@Service
class RegistrationService {
    private final AccountRepository accounts;
    private final PasswordEncoder passwordEncoder;

    RegistrationService(AccountRepository accounts, PasswordEncoder passwordEncoder) {
        this.accounts = accounts;
        this.passwordEncoder = passwordEncoder;
    }

    Account register(String email, String rawPassword) {
        if (accounts.existsByEmailIgnoreCase(email)) {
            throw new EmailAlreadyUsedException(email);
        }
        return accounts.save(new Account(email.toLowerCase(), passwordEncoder.encode(rawPassword)));
    }
}
