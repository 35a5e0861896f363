/**
 * Moving a JupyterHub (z2jh) deployment to Ganymede: the {@code import-jupyterhub} command reads
 * JupyterHub's database (SQLite or PostgreSQL, schemas of JupyterHub 3.x to 6.x), plans what to
 * create in Ganymede's, prints the plan and, unless it is a dry run, applies it. Plain JDBC on both
 * sides: it runs before the hub's first start, without the hub.
 */
package io.ganymede.hub.importer;
