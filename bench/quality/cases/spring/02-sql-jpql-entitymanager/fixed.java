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
        String jpql = "SELECT c FROM Customer c WHERE c.status = :status "
                + "AND lower(c.lastName) LIKE lower(:prefix) ORDER BY c.lastName";
        return entityManager.createQuery(jpql, Customer.class)
                .setParameter("status", status)
                .setParameter("prefix", lastName + "%")
                .setMaxResults(100)
                .getResultList();
    }
}
