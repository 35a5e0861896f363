package io.ganymede.hub.spawner.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code keep-volumes-on-delete}, and the older {@code delete-pvc} read as its deprecated alias. */
class KeepVolumesConfigTest {

    static KubernetesConfig config(boolean keep, Boolean deletePvc) {
        InvocationHandler h = (proxy, method, args) -> switch (method.getName()) {
            case "keepVolumesOnDelete" -> keep;
            case "deletePvc" -> Optional.ofNullable(deletePvc);
            default -> method.isDefault() ? InvocationHandler.invokeDefault(proxy, method, args) : null;
        };
        return (KubernetesConfig) Proxy.newProxyInstance(KubernetesConfig.class.getClassLoader(),
                new Class<?>[] {KubernetesConfig.class}, h);
    }

    @Test
    void volumesGoWithTheirServerOrUserUnlessKept() {
        assertEquals(true, config(false, null).deletesVolumes(), "the default, as KubeSpawner's delete_forever");
        assertEquals(false, config(true, null).deletesVolumes());
        assertEquals(false, config(false, false).deletesVolumes(), "delete-pvc: false still keeps them");
        assertEquals(true, config(false, true).deletesVolumes());
        assertEquals(false, config(true, true).deletesVolumes(), "the documented key wins when it keeps");
    }
}
