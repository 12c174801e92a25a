package io.qnsp.auth.risk;

/** Distances on the Earth's surface. */
final class GreatCircle {

    /** The mean Earth radius (IUGG), in kilometres. */
    static final double EARTH_RADIUS_KM = 6371.0088;

    private GreatCircle() {
    }

    /**
     * The great-circle distance between two points in decimal degrees, by the haversine formula (well conditioned
     * for the short distances that matter most here, unlike the spherical law of cosines).
     */
    static double distanceKm(double latitude1, double longitude1, double latitude2, double longitude2) {
        double phi1 = Math.toRadians(latitude1);
        double phi2 = Math.toRadians(latitude2);
        double deltaPhi = Math.toRadians(latitude2 - latitude1);
        double deltaLambda = Math.toRadians(longitude2 - longitude1);
        double sinPhi = Math.sin(deltaPhi / 2);
        double sinLambda = Math.sin(deltaLambda / 2);
        double a = sinPhi * sinPhi + Math.cos(phi1) * Math.cos(phi2) * sinLambda * sinLambda;
        // rounding can push a a hair above 1 for antipodal points
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1.0, Math.sqrt(a)));
    }
}
