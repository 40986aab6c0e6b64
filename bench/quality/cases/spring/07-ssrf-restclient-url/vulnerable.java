package com.example.integrations.web;

import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

@RestController
public class RemoteConfigController {

    private final RestClient restClient = RestClient.create();

    @GetMapping("/api/integrations/fetch-config")
    public Map<String, Object> fetchConfig(@RequestParam String url) {
        String body = restClient.get()
                .uri(url)
                .retrieve()
                .body(String.class);
        return Map.of("source", url, "length", body == null ? 0 : body.length(), "content", body);
    }
}
