package io.ganymede.hub.api;

import io.ganymede.hub.auth.CurrentCaller;
import io.ganymede.hub.persistence.GroupEntity;
import io.ganymede.hub.persistence.UserEntity;
import io.ganymede.hub.scopes.NeedsScope;
import io.ganymede.hub.scopes.Permissions;
import io.ganymede.hub.scopes.Target;
import io.quarkus.panache.common.Sort;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code /hub/api/groups}: JupyterHub's group endpoints. */
@Path("/hub/api/groups")
@Produces({MediaType.APPLICATION_JSON, Pages.MEDIA_TYPE})
public class GroupsResource {

    private final CurrentCaller caller;

    GroupsResource(CurrentCaller caller) {
        this.caller = caller;
    }

    @GET
    @NeedsScope("list:groups")
    @Transactional
    public Object list(@QueryParam("offset") String offset, @QueryParam("limit") String limit,
            @Context HttpHeaders headers, @Context UriInfo uri) {
        Pages pages = Pages.of(offset, limit, headers);
        Permissions permissions = caller.require().permissions();
        List<GroupEntity> visible = GroupEntity.<GroupEntity>findAll(Sort.by("name")).stream()
                .filter(g -> permissions.allows("list:groups", Target.group(g.name))).toList();
        List<Map<String, Object>> items = visible.stream().skip(pages.offset()).limit(pages.limit())
                .map(g -> ApiModels.group(g, permissions)).toList();
        return pages.body(items, visible.size(), uri);
    }

    @POST
    @NeedsScope("admin:groups")
    @Transactional
    public Response createMany(String body) {
        Map<String, Object> request = JsonBody.object(body);
        List<String> names = JsonBody.strings(request, "groups");
        if (names == null || names.isEmpty()) {
            throw ApiException.badRequest("Must specify at least one group to create");
        }
        List<String> members = JsonBody.strings(request, "users");
        List<Map<String, Object>> created = new ArrayList<>();
        for (String name : names.stream().distinct().toList()) {
            if (GroupEntity.findByName(name).isEmpty()) {
                created.add(ApiModels.group(newGroup(name, members), caller.require().permissions()));
            }
        }
        if (created.isEmpty()) {
            throw new ApiException(409, "All " + names.size() + " groups already exist");
        }
        return Response.status(201).entity(created).build();
    }

    @GET
    @Path("{group_name}")
    @NeedsScope({"read:groups", "read:groups:name"})
    @Transactional
    public Map<String, Object> get(@PathParam("group_name") String name) {
        return ApiModels.group(find(name), caller.require().permissions());
    }

    @POST
    @Path("{group_name}")
    @NeedsScope("admin:groups")
    @Transactional
    public Response create(@PathParam("group_name") String name, String body) {
        if (GroupEntity.findByName(name).isPresent()) {
            throw new ApiException(409, "Group " + name + " already exists");
        }
        GroupEntity group = newGroup(name, JsonBody.strings(JsonBody.object(body), "users"));
        return Response.status(201).entity(ApiModels.group(group, caller.require().permissions())).build();
    }

    private static GroupEntity newGroup(String name, List<String> members) {
        if (name.isBlank() || name.contains("/")) {
            throw ApiException.badRequest("Invalid group name: " + name);
        }
        Lengths.check("group name", name, GroupEntity.NAME_LENGTH);
        GroupEntity group = new GroupEntity();
        group.name = name;
        group.persist();
        addMembers(group, members);
        return group;
    }

    @DELETE
    @Path("{group_name}")
    @NeedsScope("delete:groups")
    @Transactional
    public Response delete(@PathParam("group_name") String name) {
        GroupEntity group = find(name);
        for (UserEntity user : group.users) {
            user.groups.remove(group);
        }
        group.delete();
        return Response.noContent().build();
    }

    @POST
    @Path("{group_name}/users")
    @NeedsScope("groups")
    @Transactional
    public Map<String, Object> addUsers(@PathParam("group_name") String name, String body) {
        GroupEntity group = find(name);
        addMembers(group, requireUsers(body));
        return ApiModels.group(group, caller.require().permissions());
    }

    @DELETE
    @Path("{group_name}/users")
    @NeedsScope("groups")
    @Transactional
    public Map<String, Object> removeUsers(@PathParam("group_name") String name, String body) {
        GroupEntity group = find(name);
        for (String userName : requireUsers(body)) {
            UserEntity user = existingUser(userName);
            user.groups.remove(group);
            group.users.remove(user);
        }
        return ApiModels.group(group, caller.require().permissions());
    }

    @PUT
    @Path("{group_name}/properties")
    @NeedsScope("groups")
    @Transactional
    public Map<String, Object> properties(@PathParam("group_name") String name, String body) {
        GroupEntity group = find(name);
        group.properties = io.ganymede.hub.persistence.JsonColumns.write(JsonBody.object(body));
        return ApiModels.group(group, caller.require().permissions());
    }

    private static List<String> requireUsers(String body) {
        List<String> users = JsonBody.strings(JsonBody.object(body), "users");
        if (users == null || users.isEmpty()) {
            throw ApiException.badRequest("Must specify users to add or remove");
        }
        return users;
    }

    private static void addMembers(GroupEntity group, List<String> members) {
        for (String userName : members == null ? List.<String>of() : members) {
            UserEntity user = existingUser(userName);
            if (user.groups.add(group)) {
                group.users.add(user);
            }
        }
    }

    private static UserEntity existingUser(String name) {
        return UserEntity.findByName(name).orElseThrow(() -> ApiException.badRequest("No such user: " + name));
    }

    private static GroupEntity find(String name) {
        return GroupEntity.findByName(name).orElseThrow(() -> ApiException.notFound("No such group: " + name));
    }
}
