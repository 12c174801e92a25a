/**
 * Success bodies of the DataHub API family (spec 003). On every path the service answers in the DataHub family
 * ({@code qnsp.errors.family=datahub}, or a pattern of {@code qnsp.errors.path-families.datahub}), a controller's
 * successful JSON body {@code X} is sent as {@code {"success":true,"data":X,"meta":{"requestId","timestamp"}}}, and a
 * returned {@link io.qnsp.common.envelope.Paged} as {@code {"success":true,"data":[…],"pagination":{…},"meta":{…}}}.
 * Controllers return their data (records, lists, {@code ResponseEntity} for a status such as 201) and never build the
 * envelope; {@code @RequiredControls} expressions such as {@code #result.id} see that data too. A {@code null} body
 * (e.g. 204) is sent as none; non-JSON bodies and error responses are left alone.
 */
package io.qnsp.common.envelope;
