package com.example.shop.catalog;

import java.util.ArrayList;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

@Repository
public class ProductRepository {

    private final JdbcTemplate jdbcTemplate;

    private static final RowMapper<Product> MAPPER = (rs, rowNum) ->
            new Product(rs.getLong("id"), rs.getString("name"), rs.getBigDecimal("price"));

    public ProductRepository(JdbcTemplate jdbcTemplate) {
        this.jdbcTemplate = jdbcTemplate;
    }

    public List<Product> findByCategory(String category, String nameFilter) {
        String sql = "SELECT id, name, price FROM products WHERE category = ?";
        List<Object> args = new ArrayList<>();
        args.add(category);
        if (nameFilter != null && !nameFilter.isBlank()) {
            sql += " AND name LIKE ?";
            args.add("%" + nameFilter + "%");
        }
        return jdbcTemplate.query(sql, MAPPER, args.toArray());
    }

    public Product findById(long id) {
        return jdbcTemplate.queryForObject("SELECT id, name, price FROM products WHERE id = ?", MAPPER, id);
    }
}
