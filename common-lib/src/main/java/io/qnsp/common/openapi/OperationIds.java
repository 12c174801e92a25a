package io.qnsp.common.openapi;

/** How the platform tells apart the operations one handler answers on several paths: by the path, never by order. */
public final class OperationIds {

    private OperationIds() {
    }

    /** The operation id for one of the paths: {@code item} on {@code /dh/open/{id}/items} is {@code itemDhOpenIdItems}. */
    public static String onPath(String operationId, String path) {
        StringBuilder name = new StringBuilder(operationId);
        for (String word : path.split("[^A-Za-z0-9]+")) {
            if (!word.isEmpty()) {
                name.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
            }
        }
        return name.toString();
    }
}
