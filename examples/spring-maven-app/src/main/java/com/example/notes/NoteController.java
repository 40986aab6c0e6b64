package com.example.notes;

import jakarta.persistence.EntityManager;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.security.Principal;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

@RestController
@RequestMapping("/api/notes")
public class NoteController {

    public record NoteRequest(@NotBlank @Size(max = 200) String title, @Size(max = 10000) String body) {
    }

    private final NoteRepository notes;
    private final EntityManager em;

    public NoteController(NoteRepository notes, EntityManager em) {
        this.notes = notes;
        this.em = em;
    }

    @GetMapping
    public List<Note> list(Principal principal) {
        return notes.findByOwnerOrderByIdDesc(principal.getName());
    }

    @GetMapping("/{id}")
    public Note get(@PathVariable Long id, Principal principal) {
        return notes.findByIdAndOwner(id, principal.getName())
            .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public Note create(@Valid @RequestBody NoteRequest request, Principal principal) {
        return notes.save(new Note(principal.getName(), request.title(), request.body()));
    }

    @GetMapping("/search")
    @SuppressWarnings("unchecked")
    public List<Note> search(@RequestParam String q, Principal principal) {
        // Deliberate flaw for the scanner demo: JPQL built by concatenating the query parameter.
        return em.createQuery("SELECT n FROM Note n WHERE n.owner = '" + principal.getName()
            + "' AND n.title LIKE '%" + q + "%'").getResultList();
    }
}
