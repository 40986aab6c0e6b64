package com.example.notes;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;

@Entity
public class Note {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false)
    private String owner;

    @Column(nullable = false, length = 200)
    private String title;

    @Column(columnDefinition = "text")
    private String body;

    protected Note() {
    }

    public Note(String owner, String title, String body) {
        this.owner = owner;
        this.title = title;
        this.body = body;
    }

    public Long getId() { return id; }
    public String getOwner() { return owner; }
    public String getTitle() { return title; }
    public String getBody() { return body; }
}
