package com.example.pricing.web;

import java.math.BigDecimal;
import java.util.Map;

import org.springframework.expression.Expression;
import org.springframework.expression.ExpressionParser;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.expression.EvaluationContext;
import org.springframework.expression.spel.support.SimpleEvaluationContext;
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
        // read-only data binding: no type references, constructors or bean references
        EvaluationContext context = SimpleEvaluationContext.forReadOnlyDataBinding().build();
        Expression expression = parser.parseExpression(rule);
        Object discount = expression.getValue(context, new Cart(subtotal, items));
        return Map.of("rule", rule, "discount", discount);
    }
}
