package io.minirpc.example.user;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/** The benchmark's server side, returning the same data as the reference implementation. */
public final class UserServiceImpl implements UserService {

  @Override
  public boolean existUser(String email) {
    if (email == null || email.isEmpty()) {
      return true;
    }
    return email.charAt(email.length() - 1) < '5';
  }

  @Override
  public boolean createUser(User user) {
    return user != null;
  }

  @Override
  public User getUser(long id) {
    return user(id);
  }

  @Override
  public Page<User> listUser(int pageNo) {
    List<User> users = new ArrayList<>(15);
    for (int i = 0; i < 15; i++) {
      users.add(user(pageNo * 100L + i));
    }
    Page<User> page = new Page<>();
    page.setPageNo(pageNo);
    page.setTotal(1000);
    page.setResult(users);
    return page;
  }

  /** The reference benchmark's user: the same strings, sizes and field values. */
  public static User user(long id) {
    User user = new User();
    user.setId(id);
    user.setName("Doug Lea");
    user.setSex(1);
    user.setBirthday(LocalDate.of(1968, 12, 8));
    user.setEmail("dong.lea@gmail.com");
    user.setMobile("18612345678");
    user.setAddress("北京市 中关村 中关村大街1号 鼎好大厦 1605");
    user.setIcon("https://www.baidu.com/img/bd_logo1.png");
    user.setStatus(1);
    user.setCreateTime(LocalDateTime.now());
    user.setUpdateTime(user.getCreateTime());
    user.setPermissions(
        new ArrayList<>(List.of(1, 2, 3, 4, 5, 6, 7, 8, 19, 88, 86, 89, 90, 91, 92)));
    return user;
  }
}
