package com.example.ops.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class NetworkToolsController {

    public record TraceRequest(String host, int maxHops) {}

    @PostMapping("/api/tools/traceroute")
    public Map<String, String> traceroute(@RequestBody TraceRequest request) throws IOException, InterruptedException {
        String command = "traceroute -m " + request.maxHops() + " " + request.host();
        Process process = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return Map.of("output", output);
    }
}
