package io.reefline.andon.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Registers a webhook. Without a secret, one is generated and shown once in the answer. */
public record WebhookRequest(
        @NotBlank
        @Size(max = 500)
        @Pattern(regexp = "https?://[^\\s/?#]+(/\\S*)?", message = "must be an absolute http(s) URL")
        @Schema(description = "Where the messages are POSTed, e.g. a Slack incoming webhook", required = true)
        String url,

        @Size(min = 16, max = 200)
        @Schema(description = "Shared secret for the X-Reefline-Signature HMAC; generated when absent")
        String secret,

        @Size(max = 200) String description) {}
