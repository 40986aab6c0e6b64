package com.acme.billing.files;

import java.io.IOException;
import java.net.MalformedURLException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.Resource;
import org.springframework.core.io.UrlResource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@Service
class InvoiceFileService {
    private final Path root;

    InvoiceFileService(@Value("${billing.invoice-dir}") String storageDir) {
        this.root = Paths.get(storageDir).toAbsolutePath().normalize();
    }

    Resource load(String filename) throws MalformedURLException {
        Path file = root.resolve(filename).normalize();
        if (!file.startsWith(root) || !file.getParent().equals(root)) {
            throw new InvoiceNotFoundException();
        }
        return new UrlResource(file.toUri());
    }
}

@ResponseStatus(HttpStatus.NOT_FOUND)
class InvoiceNotFoundException extends RuntimeException {}

@RestController
class InvoiceDownloadController {
    private final InvoiceFileService files;

    InvoiceDownloadController(InvoiceFileService files) {
        this.files = files;
    }

    @GetMapping("/invoices/files")
    ResponseEntity<Resource> download(@RequestParam String filename) throws IOException {
        Resource resource = files.load(filename);
        if (!resource.exists() || !resource.isReadable()) {
            return ResponseEntity.notFound().build();
        }
        String type = Files.probeContentType(resource.getFile().toPath());
        return ResponseEntity.ok()
                .contentType(type != null ? MediaType.parseMediaType(type) : MediaType.APPLICATION_OCTET_STREAM)
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().filename(resource.getFilename()).build().toString())
                .body(resource);
    }
}
