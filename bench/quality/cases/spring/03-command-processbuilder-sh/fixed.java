package com.example.ops.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

@RestController
public class NetworkToolsController {

    private static final Pattern HOST = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$");

    public record TraceRequest(String host, int maxHops) {}

    @PostMapping("/api/tools/traceroute")
    public Map<String, String> traceroute(@RequestBody TraceRequest request) throws IOException, InterruptedException {
        if (request.host() == null || !HOST.matcher(request.host()).matches()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "invalid host");
        }
        int hops = Math.max(1, Math.min(request.maxHops(), 30));
        Process process = new ProcessBuilder("traceroute", "-m", String.valueOf(hops), request.host())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return Map.of("output", output);
    }
}
