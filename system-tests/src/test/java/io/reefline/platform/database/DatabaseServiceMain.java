package io.reefline.platform.database;

/**
 * Stands in for a service's {@code main}: starts the embedded database in {@code reefline.data-dir}, prints
 * {@code READY <jdbc url>} and runs until it is stopped or killed.
 */
public final class DatabaseServiceMain {

    private DatabaseServiceMain() {}

    public static void main(String[] args) throws InterruptedException {
        EmbeddedDatabase.startIfUnconfigured("test");
        System.out.println("READY " + System.getProperty(EmbeddedDatabase.URL_PROPERTY));
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
