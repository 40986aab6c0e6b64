package com.example.integrations.web;

import java.net.URI;
import java.util.Map;
import java.util.Set;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.server.ResponseStatusException;

@RestController
public class RemoteConfigController {

    private static final Set<String> ALLOWED_HOSTS = Set.of("config.partner-a.com", "settings.partner-b.io");

    private final RestClient restClient = RestClient.create();

    @GetMapping("/api/integrations/fetch-config")
    public Map<String, Object> fetchConfig(@RequestParam String url) {
        URI target = URI.create(url);
        if (!"https".equals(target.getScheme()) || !ALLOWED_HOSTS.contains(target.getHost())) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "host not allowed");
        }
        String body = restClient.get()
                .uri(target)
                .retrieve()
                .body(String.class);
        return Map.of("source", url, "length", body == null ? 0 : body.length(), "content", body);
    }
}
