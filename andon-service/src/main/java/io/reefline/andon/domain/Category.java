package io.reefline.andon.domain;

import java.util.Arrays;
import java.util.Optional;

/** Why someone pulled the cord: the list the vendor's own andon page offers. */
public enum Category {
    CANT_DEPLOY("cant-deploy", "Can't deploy"),
    CANT_EDIT_DEPLOYMENT_PROCESS(
            "cant-edit-deployment-process", "Can't edit or create a deployment process, project or space"),
    CANT_EDIT_RELEASES("cant-edit-releases", "Can't create or edit releases"),
    CANT_RUN_RUNBOOK("cant-run-runbook", "Can't run, edit or create a runbook"),
    CANT_EDIT_USERS("cant-edit-users", "Can't edit or create users or permissions"),
    DOESNT_LOOK_RIGHT("doesnt-look-right", "Something doesn't look or feel right"),
    OTHER("other", "Other");

    private final String code;
    private final String description;

    Category(String code, String description) {
        this.code = code;
        this.description = description;
    }

    public String code() {
        return code;
    }

    public String description() {
        return description;
    }

    public static Optional<Category> parse(String code) {
        return Arrays.stream(values()).filter(c -> c.code.equals(code)).findFirst();
    }
}
