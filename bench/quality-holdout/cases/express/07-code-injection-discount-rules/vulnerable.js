const express = require("express");
const { requireShopOwner } = require("../middleware/auth");
const DiscountRule = require("../models/DiscountRule");

const router = express.Router();

class RuleEngine {
  compile(condition) {
    // condition looks like: "cart.total > 100 && customer.orders >= 3"
    return new Function("cart", "customer", `"use strict"; return (${condition});`);
  }

  matches(rule, cart, customer) {
    const predicate = this.compile(rule.condition);
    return Boolean(predicate(cart, customer));
  }
}

const engine = new RuleEngine();

router.post("/shops/:shopId/discount-rules/preview", requireShopOwner, (req, res) => {
  const { condition, sampleCart, sampleCustomer } = req.body;
  try {
    const applies = engine.matches({ condition }, sampleCart, sampleCustomer);
    res.json({ applies });
  } catch (err) {
    res.status(400).json({ error: `rule error: ${err.message}` });
  }
});

router.post("/shops/:shopId/discount-rules", requireShopOwner, async (req, res, next) => {
  try {
    const rule = await DiscountRule.create({
      shopId: req.params.shopId,
      name: String(req.body.name),
      percentOff: Number(req.body.percentOff),
      condition: String(req.body.condition),
    });
    res.status(201).json(rule);
  } catch (err) {
    next(err);
  }
});

module.exports = { router, RuleEngine };
