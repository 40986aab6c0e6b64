package com.example.accounts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class AccountService {

    private final UserRepository users;

    public AccountService(UserRepository users) {
        this.users = users;
    }

    @Transactional
    public User register(String email, String rawPassword) {
        User user = new User();
        user.setEmail(email.toLowerCase());
        user.setPasswordHash(hash(rawPassword));
        return users.save(user);
    }

    public boolean checkPassword(User user, String rawPassword) {
        return user.getPasswordHash().equals(hash(rawPassword));
    }

    private String hash(String password) {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            return HexFormat.of().formatHex(md.digest(password.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
