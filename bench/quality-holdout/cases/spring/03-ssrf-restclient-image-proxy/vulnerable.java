package com.acme.media.proxy;

import java.net.URI;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

@Service
class RemoteImageService {
    private final RestClient restClient;

    RemoteImageService(RestClient.Builder builder) {
        this.restClient = builder.defaultHeader("User-Agent", "AcmeImageProxy/2.0").build();
    }

    ResponseEntity<byte[]> fetch(String url) {
        return restClient.get().uri(URI.create(url)).retrieve().toEntity(byte[].class);
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
