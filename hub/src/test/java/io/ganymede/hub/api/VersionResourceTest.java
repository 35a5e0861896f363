package io.ganymede.hub.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class VersionResourceTest {

    @Test
    void versionIsPublicAndCarriesTheHeader() {
        given().when().get("/hub/api/")
                .then().statusCode(200)
                .header("X-JupyterHub-Version", "6.1.1")
                .body("version", equalTo("6.1.1"));
    }

    @Test
    void unknownPathsCarryTheHeaderToo() {
        given().when().get("/hub/api/no-such-thing")
                .then().statusCode(404)
                .header("X-JupyterHub-Version", "6.1.1");
    }
}
