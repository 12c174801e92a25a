package io.qnsp.common.envelope;

import io.qnsp.common.openapi.FailureResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
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

    @Operation(summary = "An item")
    @GetMapping({"/dh/open/item", "/plain/item", "/dh/secure/item"})
    Item item() {
        return new Item("item-1", "first");
    }

    @Operation(summary = "Create an item", operationId = "createItem")
    @PostMapping("/dh/open/items")
    @ResponseStatus(HttpStatus.CREATED)
    Item create(@Valid @RequestBody NewItem item) {
        return new Item("item-2", item.name());
    }

    @Operation(summary = "A page of items")
    @GetMapping({"/dh/open/items", "/plain/items"})
    Paged<Item> items(@RequestParam(defaultValue = "1") int page, @RequestParam(defaultValue = "2") int pageSize) {
        List<Item> all = IntStream.rangeClosed(1, 5).mapToObj(i -> new Item("item-" + i, "n" + i)).toList();
        List<Item> slice = all.stream().skip((long) (page - 1) * pageSize).limit(pageSize).toList();
        return Paged.of(slice, page, pageSize, all.size());
    }

    @Operation(summary = "A list of names", operationId = "names")
    @GetMapping("/dh/open/list")
    List<String> list() {
        return List.of("a", "b");
    }

    @Operation(summary = "Some text", operationId = "text")
    @GetMapping(value = "/dh/open/text", produces = MediaType.TEXT_PLAIN_VALUE)
    String text() {
        return "just text";
    }

    @Operation(summary = "Nothing", operationId = "nothing")
    @FailureResponse(status = 405, description = "For any method but GET")
    @GetMapping("/dh/open/nothing")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void nothing() {
    }

    @Operation(summary = "A refusal with a body of its own", operationId = "refused")
    @ApiResponse(responseCode = "409", description = "Always", content = @Content(mediaType = "application/json",
            schema = @Schema(type = "object")))
    @GetMapping("/dh/open/refused")
    ResponseEntity<Map<String, Object>> refused() {
        return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("reason", "own body"));
    }
}
