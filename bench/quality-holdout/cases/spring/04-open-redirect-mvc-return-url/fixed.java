package com.acme.web.preferences;

import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.LocaleResolver;

@Controller
public class LocaleController {

    private final LocaleResolver localeResolver;

    public LocaleController(LocaleResolver localeResolver) {
        this.localeResolver = localeResolver;
    }

    @PostMapping("/preferences/locale")
    public String changeLocale(@RequestParam String lang,
                               @RequestParam(name = "returnUrl", defaultValue = "/") String returnUrl,
                               HttpServletRequest request,
                               HttpServletResponse response) {
        localeResolver.setLocale(request, response, Locale.forLanguageTag(lang));
        return "redirect:" + safeLocalPath(returnUrl);
    }

    /** Only app-relative paths; "//host", "/\\host" and absolute URLs fall back to the home page. */
    static String safeLocalPath(String candidate) {
        if (candidate == null || !candidate.startsWith("/") || candidate.startsWith("//")
                || candidate.contains("\\") || candidate.contains("\r") || candidate.contains("\n")) {
            return "/";
        }
        return candidate;
    }
}
