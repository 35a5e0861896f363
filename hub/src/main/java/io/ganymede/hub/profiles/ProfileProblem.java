package io.ganymede.hub.profiles;

/** One thing wrong with a profiles file, located for the admin who has to fix it (1-based). */
public record ProfileProblem(String file, int line, int column, String reason) {

    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + reason;
    }
}
