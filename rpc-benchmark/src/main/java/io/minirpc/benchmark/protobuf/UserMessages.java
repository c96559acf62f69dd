package io.minirpc.benchmark.protobuf;

import io.minirpc.example.user.Page;
import io.minirpc.example.user.User;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Converts the workload's users and pages to their protobuf messages and back, as the reference
 * benchmark's protobuf variants do: the birthday travels as days since 1970-01-01, the create and
 * update times as whole seconds since the epoch in UTC.
 */
public final class UserMessages {

  private UserMessages() {}

  public static UserProtos.User toMessage(User user) {
    return UserProtos.User.newBuilder()
        .setId(user.getId())
        .setName(user.getName())
        .setSex(user.getSex())
        .setBirthday((int) user.getBirthday().toEpochDay())
        .setEmail(user.getEmail())
        .setMobile(user.getMobile())
        .setAddress(user.getAddress())
        .setIcon(user.getIcon())
        .addAllPermissions(user.getPermissions())
        .setStatus(user.getStatus())
        .setCreateTime(user.getCreateTime().toEpochSecond(ZoneOffset.UTC))
        .setUpdateTime(user.getUpdateTime().toEpochSecond(ZoneOffset.UTC))
        .build();
  }

  public static User fromMessage(UserProtos.User message) {
    User user = new User();
    user.setId(message.getId());
    user.setName(message.getName());
    user.setSex(message.getSex());
    user.setBirthday(LocalDate.ofEpochDay(message.getBirthday()));
    user.setEmail(message.getEmail());
    user.setMobile(message.getMobile());
    user.setAddress(message.getAddress());
    user.setIcon(message.getIcon());
    user.setPermissions(message.getPermissionsList());
    user.setStatus(message.getStatus());
    user.setCreateTime(LocalDateTime.ofEpochSecond(message.getCreateTime(), 0, ZoneOffset.UTC));
    user.setUpdateTime(LocalDateTime.ofEpochSecond(message.getUpdateTime(), 0, ZoneOffset.UTC));
    return user;
  }

  public static UserProtos.UserPage toMessage(Page<User> page) {
    List<UserProtos.User> users = new ArrayList<>(page.getResult().size());
    for (User user : page.getResult()) {
      users.add(toMessage(user));
    }
    return UserProtos.UserPage.newBuilder()
        .setPageNo(page.getPageNo())
        .setTotal(page.getTotal())
        .addAllResult(users)
        .build();
  }
}
