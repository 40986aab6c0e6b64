package com.example.accounts.web;

import java.security.Principal;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Size;

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

    public record ProfileUpdate(@Size(max = 80) String displayName, @Email String email, @Size(max = 500) String bio) {}

    public record ProfileView(Long id, String username, String displayName, String email, String bio) {
        static ProfileView of(User u) {
            return new ProfileView(u.getId(), u.getUsername(), u.getDisplayName(), u.getEmail(), u.getBio());
        }
    }

    private final UserRepository userRepository;

    public ProfileController(UserRepository userRepository) {
        this.userRepository = userRepository;
    }

    @PutMapping("/me")
    public ProfileView updateMe(@Valid @RequestBody ProfileUpdate update, Principal principal) {
        User current = userRepository.findByUsername(principal.getName())
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        if (update.displayName() != null) current.setDisplayName(update.displayName());
        if (update.email() != null) current.setEmail(update.email());
        if (update.bio() != null) current.setBio(update.bio());
        return ProfileView.of(userRepository.save(current));
    }
}
