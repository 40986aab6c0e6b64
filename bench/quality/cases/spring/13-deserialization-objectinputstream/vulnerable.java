package com.example.sync.web;

import java.io.IOException;
import java.io.ObjectInputStream;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class SyncController {

    private final SyncService syncService;

    public SyncController(SyncService syncService) {
        this.syncService = syncService;
    }

    @PostMapping(value = "/api/sync", consumes = "application/x-java-serialized-object")
    public ResponseEntity<String> sync(HttpServletRequest request) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(request.getInputStream())) {
            SyncBatch batch = (SyncBatch) in.readObject();
            int applied = syncService.apply(batch);
            return ResponseEntity.ok("applied " + applied);
        }
    }
}
