package com.acme.media.proxy;

import java.net.URI;
import java.util.Set;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.server.ResponseStatusException;

@Service
class RemoteImageService {
    private final RestClient restClient;

    RemoteImageService(RestClient.Builder builder) {
        this.restClient = builder.defaultHeader("User-Agent", "AcmeImageProxy/2.0").build();
    }

    private static final Set<String> ALLOWED_HOSTS = Set.of("images.acme-cdn.com", "uploads.acme-cdn.com");

    ResponseEntity<byte[]> fetch(String url) {
        URI uri = URI.create(url);
        if (!"https".equals(uri.getScheme()) || uri.getUserInfo() != null || !ALLOWED_HOSTS.contains(uri.getHost())) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "image host not allowed");
        }
        return restClient.get().uri(uri).retrieve().toEntity(byte[].class);
    }
}

@RestController
class ImageProxyController {
    private final RemoteImageService images;

    ImageProxyController(RemoteImageService images) {
        this.images = images;
    }

    @GetMapping("/img-proxy")
    ResponseEntity<byte[]> proxy(@RequestParam("src") String src) {
        ResponseEntity<byte[]> upstream = images.fetch(src);
        MediaType type = upstream.getHeaders().getContentType();
        return ResponseEntity.ok()
                .contentType(type != null ? type : MediaType.APPLICATION_OCTET_STREAM)
                .cacheControl(CacheControl.maxAge(java.time.Duration.ofHours(6)))
                .body(upstream.getBody());
    }
}
