package com.acme.search.io;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

record SavedSearch(String name, String query, List<String> filters) implements Serializable {}

@Service
class SavedSearchImporter {
    private final SavedSearchRepository repository;

    SavedSearchImporter(SavedSearchRepository repository) {
        this.repository = repository;
    }

    @SuppressWarnings("unchecked")
    int importFrom(MultipartFile file, String owner) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(file.getInputStream())) {
            List<SavedSearch> searches = (List<SavedSearch>) in.readObject();
            searches.forEach(s -> repository.save(owner, s));
            return searches.size();
        }
    }
}

@RestController
class SavedSearchImportController {
    private final SavedSearchImporter importer;

    SavedSearchImportController(SavedSearchImporter importer) {
        this.importer = importer;
    }

    @PostMapping("/api/saved-searches/import")
    @ResponseStatus(HttpStatus.CREATED)
    ImportResult importSearches(@RequestParam("file") MultipartFile file,
                                @AuthenticationPrincipal UserDetails user) throws Exception {
        return new ImportResult(importer.importFrom(file, user.getUsername()));
    }

    record ImportResult(int imported) {}
}
