package io.ganymede.hub.spawner.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Golden names. The expected values were computed with KubeSpawner's algorithm ({@code
 * kubespawner/slugs.py} {@code safe_slug} and {@code multi_slug}, and {@code {user_server}} as in
 * {@code spawner.py} {@code _expand_user_properties} with the "safe" scheme), so Ganymede names the
 * same pods and PVCs as KubeSpawner for the same users.
 */
class SlugsTest {

    @ParameterizedTest(name = "{0} / {1}")
    @CsvSource(delimiter = '|', emptyValue = "", value = {
        // user | server | pod name | user label | server label
        "alice | '' | jupyter-alice | alice | ''",
        "Alice | '' | jupyter-alice---3bc51062 | Alice | ''",
        "alice | gpu | jupyter-alice--gpu | alice | gpu",
        "alice.smith@example.com | '' | jupyter-alice-smith-example-com---7dcd3a39 | alice-smith-example-c---7dcd3a39 | ''",
        "alice.smith@example.com | My Server | jupyter-alice-smith-examp--my-server---65c8d5d9 | alice-smith-example-c---7dcd3a39 | my-server---c2d9a82f",
        "jürgen | '' | jupyter-j-rgen---19b720a9 | j-rgen---19b720a9 | ''",
        "ünï | '' | jupyter-n---e975a529 | n---e975a529 | ''",
        "日本語 | '' | jupyter-x---77710aed | x---77710aed | ''",
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx | '' | jupyter-xxxxxxxxxxxxxxxxx--x---0bc7a803 | xxxxxxxxxxxxxxxxxxxxx---c71bd109 | ''",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | '' | jupyter-aaaaaaaaaaaaaaaaa--x---c99371b4 | aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | ''",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | '' | jupyter-aaaaaaaaaaaaaaaaa--x---de5ac785 | aaaaaaaaaaaaaaaaaaaaa---ffe054fe | ''",
        "bob--x | '' | jupyter-bob-x---ee9b647c | bob-x---ee9b647c | ''",
        "9lives | '' | jupyter-x-9lives---bc867356 | 9lives | ''",
        "user_name | '' | jupyter-user-name---2e0d0e00 | user_name | ''",
        "alice | very-long-server-name-that-keeps-going-and-going-on | jupyter-alice--very-long-server---1c3058a5 | alice | very-long-server-name-that-keeps-going-and-going-on",
        "endswith- | '' | jupyter-endswith---165f1166 | endswith---165f1166 | ''",
        "UPPER.CASE@Example.COM | Lab 2 | jupyter-upper-case-exampl--lab-2---f6f25ada | upper-case-example-co---99d947dc | lab-2---6edfda0f",
        "a | b--c | jupyter-a--b-c---8eb88ee4 | a | b-c---8eb88ee4",
        "Gina@example.com | Lab | jupyter-gina-example-com---c4feca71--lab---efdcf466 | gina-example-com---c4feca71 | Lab",
        "ÉLODIE.Müller@Exämple.de | '' | jupyter-lodie-m-ller-ex-mple-de---1ec21e47 | lodie-m-ller-ex-mple---1ec21e47 | ''",
        "o'brien+tag@sub.example.co.uk | '' | jupyter-o-brien-tag-sub-example-co-uk---8decf4e5 | o-brien-tag-sub-examp---8decf4e5 | ''",
        "ДМИТРИЙ@пример.рф | '' | jupyter-x---4bb2fa6d | x---4bb2fa6d | ''",
        "j.doe@EXAMPLE.com | 🚀 rocket | jupyter-j-doe-example-com---e018b0f3--rocket---a4949c10 | j-doe-example-com---e018b0f3 | rocket---a4949c10",
        // 48 characters: valid, but with the '--' KubeSpawner counts it no longer fits, so one multi_slug
        "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb | '' | jupyter-bbbbbbbbbbbbbbbbb--x---0eb0baff | bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb | ''",
        "dddddddddddddddddddddddddddddddddddddddd | gpu | jupyter-dddddddddddddddddddddddddddddddddddddddd--gpu | dddddddddddddddddddddddddddddddddddddddd | gpu",
        "x | '' | jupyter-x | x | ''",
        "- | '' | jupyter-x---3973e022 | x---3973e022 | ''",
        // Lowercasing leaves ASCII: the Kelvin sign becomes 'k'; dotted capital I becomes 'i' plus a combining dot
        "\u212Aelvin | '' | jupyter-kelvin---4a274a98 | kelvin---4a274a98 | ''",
        "İstanbul | '' | jupyter-i-stanbul---24ec8f72 | i-stanbul---24ec8f72 | ''",
        "ΣΟΦΙΑΣ | '' | jupyter-x---e907f30b | x---e907f30b | ''",
    })
    void namesMatchKubeSpawner(String user, String server, String pod, String userLabel, String serverLabel) {
        ServerNames n = ServerNames.of(user, server, "jupyter-{user_server}", "claim-{user_server}", "ns", false);
        assertEquals(pod, n.podName());
        assertEquals(pod.replaceFirst("^jupyter-", "claim-"), n.pvcName());
        assertEquals(userLabel, n.userLabel());
        assertEquals(serverLabel, n.serverLabel());
        assertTrue(Slugs.isValidObjectName(n.podName()) && n.podName().length() <= 63, n.podName());
        assertTrue(Slugs.isValidLabel(n.userLabel()) && Slugs.isValidLabel(n.serverLabel()));
    }

    /** KubeSpawner's {@code user_namespace_template} default, {@code {hubnamespace}-{username}}. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "alice | ganymede-alice",
        "Alice | ganymede-alice---3bc51062",
        "alice.smith@example.com | ganymede-alice-smith-example-com---7dcd3a39",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | ganymede-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa---7d3e74a0",
        "ccccccccccccccccccccccccccccccccccccccccccccccccc | ganymede-ccccccccccccccccccccccccccccccccccccc---89ae78f6",
        "ДМИТРИЙ@пример.рф | ganymede-x---4bb2fa6d",
    })
    void userNamespacesMatchKubeSpawner(String user, String namespace) {
        assertEquals(namespace, ServerNames.of(user, "", "jupyter-{user_server}", "claim-{user_server}", "ganymede", true)
                .namespace());
    }

    @org.junit.jupiter.api.Test
    void userNamespacesUseTheSafeUsername() {
        assertEquals("ganymede-alice-smith-example-com---66da998b",
                ServerNames.of("Alice.Smith@example.com", "", "jupyter-{user_server}", "claim-{user_server}", "ganymede", true)
                        .namespace());
        assertEquals("ganymede", ServerNames.of("bob", "", "jupyter-{user_server}", "claim-{user_server}", "ganymede", false)
                .namespace());
    }

    @ParameterizedTest
    @CsvSource({
        // KubeSpawner's own test table for safe_slug
        "jupyter-alex, jupyter-alex",
        "jupyter-Alex, jupyter-alex---3a1c285c",
        "user@email.com, user-email-com---0925f997",
        "-start, start---f587e2dc",
        "endswith-, endswith---165f1166",
        "jupyter-üni, jupyter-ni---a5aaf5dd",
        "user-_@_emailß.com, user-email-com---7e3a7efd",
        "username--servername, username-servername---d957f1de",
    })
    void safeSlug(String name, String expected) {
        assertEquals(expected, Slugs.safeSlug(name));
    }

    /** The expected values are what KubeSpawner 7.1's kubespawner.slugs.escape_slug returns. */
    @org.junit.jupiter.api.Test
    void escapeSlugIsKubeSpawnersLegacyScheme() {
        org.junit.jupiter.api.Assertions.assertEquals("alice-40example-2ecom", Slugs.escapeSlug("alice@example.com"));
        org.junit.jupiter.api.Assertions.assertEquals("-42ob-2e-53mith-2bml-40example-2ecom", Slugs.escapeSlug("Bob.Smith+ml@example.com"));
        org.junit.jupiter.api.Assertions.assertEquals("bob", Slugs.escapeSlug("bob"));
        org.junit.jupiter.api.Assertions.assertEquals("zo-c3-ab", Slugs.escapeSlug("zoë"));
    }
}
