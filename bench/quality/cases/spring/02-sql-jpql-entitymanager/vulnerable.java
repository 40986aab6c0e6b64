package com.example.crm.customers;

import java.util.List;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
@Transactional(readOnly = true)
public class CustomerSearchService {

    @PersistenceContext
    private EntityManager entityManager;

    public List<Customer> search(String status, String lastName) {
        String jpql = String.format(
                "SELECT c FROM Customer c WHERE c.status = '%s' AND lower(c.lastName) LIKE lower('%s%%') ORDER BY c.lastName",
                status, lastName);
        return entityManager.createQuery(jpql, Customer.class)
                .setMaxResults(100)
                .getResultList();
    }
}
