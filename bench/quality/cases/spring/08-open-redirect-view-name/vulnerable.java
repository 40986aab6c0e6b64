package com.example.portal.web;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import jakarta.servlet.http.HttpSession;

@Controller
public class LanguageController {

    @GetMapping("/language")
    public String switchLanguage(@RequestParam String lang,
                                 @RequestParam(defaultValue = "/") String returnUrl,
                                 HttpSession session) {
        session.setAttribute("lang", lang);
        return "redirect:" + returnUrl;
    }
}
