/**
 * Tests of the build as a whole: the module edges, stated as ArchUnit rules over every module's classes.
 */
package io.vrouter.bench;
