package com.example.pricing.web;

import java.math.BigDecimal;
import java.util.Map;

import org.springframework.expression.Expression;
import org.springframework.expression.ExpressionParser;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.expression.spel.support.StandardEvaluationContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class DiscountPreviewController {

    private final ExpressionParser parser = new SpelExpressionParser();

    public record Cart(BigDecimal subtotal, int items) {}

    @GetMapping("/api/discounts/preview")
    public Map<String, Object> preview(@RequestParam String rule, @RequestParam BigDecimal subtotal,
                                       @RequestParam int items) {
        StandardEvaluationContext context = new StandardEvaluationContext(new Cart(subtotal, items));
        Expression expression = parser.parseExpression(rule);
        Object discount = expression.getValue(context);
        return Map.of("rule", rule, "discount", discount);
    }
}
