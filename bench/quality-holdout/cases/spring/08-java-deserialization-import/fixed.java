package com.acme.search.io;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.server.ResponseStatusException;

record SavedSearch(@NotBlank @Size(max = 100) String name,
                   @Size(max = 2000) String query,
                   @Size(max = 50) List<@Size(max = 200) String> filters) {}

@Service
class SavedSearchImporter {
    private static final TypeReference<List<@Valid SavedSearch>> LIST_OF_SEARCHES = new TypeReference<>() {};

    private final SavedSearchRepository repository;
    private final ObjectMapper objectMapper;
    private final Validator validator;

    SavedSearchImporter(SavedSearchRepository repository, ObjectMapper objectMapper, Validator validator) {
        this.repository = repository;
        this.objectMapper = objectMapper;
        this.validator = validator;
    }

    int importFrom(MultipartFile file, String owner) throws IOException {
        List<SavedSearch> searches = objectMapper.readValue(file.getInputStream(), LIST_OF_SEARCHES);
        if (searches.size() > 500 || searches.stream().anyMatch(s -> !validator.validate(s).isEmpty())) {
            throw new ResponseStatusException(HttpStatus.UNPROCESSABLE_ENTITY, "invalid saved searches file");
        }
        searches.forEach(s -> repository.save(owner, s));
        return searches.size();
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
                                @AuthenticationPrincipal UserDetails user) throws IOException {
        return new ImportResult(importer.importFrom(file, user.getUsername()));
    }

    record ImportResult(int imported) {}
}
