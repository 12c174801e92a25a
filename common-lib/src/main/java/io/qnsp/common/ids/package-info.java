/** Resource ids shared by the services: prefixed, time-ordered, unguessable. */
package io.qnsp.common.ids;
