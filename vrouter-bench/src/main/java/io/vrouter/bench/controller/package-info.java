/**
 * The controller channel: routes from the controller into nodes' FIBs.
 */
package io.vrouter.bench.controller;
