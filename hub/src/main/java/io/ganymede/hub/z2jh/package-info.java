/**
 * Moving a Zero to JupyterHub deployment's configuration: the {@code translate-z2jh} command reads
 * a z2jh {@code values.yaml} and writes Ganymede's {@code profiles.yaml} and hub settings, with a
 * report of every key it could not translate and why.
 */
package io.ganymede.hub.z2jh;
