/**
 * Tests of the reference controller's model.
 */
package io.vrouter.tools.controller;
