package io.ganymede.hub.apps;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.Map;

/** A managed app (a TensorBoard) for the lab-team group, beside an external service. */
public class AppsProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>();
        String app = "ganymede.services.lab-board.app.";
        config.put(app + "image", "tensorflow/tensorflow:2.20.0");
        config.put(app + "command", "tensorboard");
        config.put(app + "args", "--logdir=/data,--path_prefix={prefix_no_slash},--port=6006");
        config.put(app + "port", "6006");
        config.put(app + "groups", "lab-team");
        config.put(app + "idle-timeout", "10m");
        config.put("ganymede.services.plain.url", "http://127.0.0.1:10104");
        return config;
    }
}
