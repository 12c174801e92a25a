package io.qnsp.common.envelope;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** Answers of every kind on DataHub-family paths ({@code /dh/**}) and on a default-family path. */
@RestController
class EnvelopeProbeController {

    record Item(String id, String name) {
    }

    record NewItem(@NotBlank String name) {
    }

    @GetMapping({"/dh/open/item", "/plain/item", "/dh/secure/item"})
    Item item() {
        return new Item("item-1", "first");
    }

    @PostMapping("/dh/open/items")
    ResponseEntity<Item> create(@Valid @RequestBody NewItem item) {
        return ResponseEntity.status(HttpStatus.CREATED).body(new Item("item-2", item.name()));
    }

    @GetMapping({"/dh/open/items", "/plain/items"})
    Paged<Item> items(@RequestParam(defaultValue = "1") int page, @RequestParam(defaultValue = "2") int pageSize) {
        List<Item> all = IntStream.rangeClosed(1, 5).mapToObj(i -> new Item("item-" + i, "n" + i)).toList();
        List<Item> slice = all.stream().skip((long) (page - 1) * pageSize).limit(pageSize).toList();
        return Paged.of(slice, page, pageSize, all.size());
    }

    @GetMapping("/dh/open/list")
    List<String> list() {
        return List.of("a", "b");
    }

    @GetMapping(value = "/dh/open/text", produces = MediaType.TEXT_PLAIN_VALUE)
    String text() {
        return "just text";
    }

    @GetMapping("/dh/open/nothing")
    ResponseEntity<Void> nothing() {
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/dh/open/refused")
    ResponseEntity<Map<String, Object>> refused() {
        return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("reason", "own body"));
    }
}
