/**
 * Tests of software segmentation and checksum completion against independently computed golden rules.
 */
package io.vrouter.core.offload;
