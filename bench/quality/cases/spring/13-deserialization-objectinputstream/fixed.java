package com.example.sync.web;

import jakarta.validation.Valid;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class SyncController {

    private final SyncService syncService;

    public SyncController(SyncService syncService) {
        this.syncService = syncService;
    }

    // JSON bound by Jackson to a plain DTO (no polymorphic typing)
    @PostMapping(value = "/api/sync", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<String> sync(@Valid @RequestBody SyncBatch batch) {
        int applied = syncService.apply(batch);
        return ResponseEntity.ok("applied " + applied);
    }
}
