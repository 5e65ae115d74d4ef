package io.reefline.flag.domain.flagd;

/** One reason a flagd document was rejected, at the JSON Pointer of the bad element. */
public record DocumentProblem(String path, String message) {

    @Override
    public String toString() {
        return (path.isEmpty() ? "/" : path) + ": " + message;
    }
}
