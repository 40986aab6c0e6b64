package com.example.accounts.web;

import java.security.Principal;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import com.example.accounts.User;
import com.example.accounts.UserRepository;

@RestController
@RequestMapping("/api/users")
public class ProfileController {

    private final UserRepository userRepository;

    public ProfileController(UserRepository userRepository) {
        this.userRepository = userRepository;
    }

    @PutMapping("/me")
    public User updateMe(@RequestBody User update, Principal principal) {
        User current = userRepository.findByUsername(principal.getName())
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        update.setId(current.getId());
        update.setUsername(current.getUsername());
        return userRepository.save(update);
    }
}
