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
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@Service
class InvoiceFileService {
    private final String storageDir;

    InvoiceFileService(@Value("${billing.invoice-dir}") String storageDir) {
        this.storageDir = storageDir;
    }

    Resource load(String filename) throws MalformedURLException {
        Path file = Paths.get(storageDir, filename);
        return new UrlResource(file.toUri());
    }
}

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
