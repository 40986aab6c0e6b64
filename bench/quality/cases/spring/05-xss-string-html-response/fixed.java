package com.example.portal.web;

import static org.springframework.web.util.HtmlUtils.htmlEscape;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class ErrorPageController {

    @GetMapping(value = "/oops", produces = MediaType.TEXT_HTML_VALUE)
    public String oops(@RequestParam(defaultValue = "Unknown error") String message,
                       @RequestParam(required = false) String ref) {
        StringBuilder html = new StringBuilder("<html><body>");
        html.append("<h1>Something went wrong</h1>");
        html.append("<p>").append(htmlEscape(message)).append("</p>");
        if (ref != null) {
            html.append("<p>Reference: ").append(htmlEscape(ref)).append("</p>");
        }
        return html.append("</body></html>").toString();
    }
}
