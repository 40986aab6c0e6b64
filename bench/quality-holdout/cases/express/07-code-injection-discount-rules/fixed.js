const express = require("express");
const jsonLogic = require("json-logic-js");
const { requireShopOwner } = require("../middleware/auth");
const DiscountRule = require("../models/DiscountRule");

const router = express.Router();

class RuleEngine {
  // condition is JSON Logic data, e.g. {"and": [{">": [{"var": "cart.total"}, 100]}, ...]}
  validate(condition) {
    if (!jsonLogic.is_logic(condition)) throw new Error("condition must be a JSON Logic rule");
    return condition;
  }

  matches(rule, cart, customer) {
    return Boolean(jsonLogic.apply(this.validate(rule.condition), { cart, customer }));
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
      condition: engine.validate(req.body.condition),
    });
    res.status(201).json(rule);
  } catch (err) {
    next(err);
  }
});

module.exports = { router, RuleEngine };
