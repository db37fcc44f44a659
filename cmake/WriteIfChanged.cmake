# write_if_changed(PATH CONTENT): writes a generated file only when its
# content changes, so that a build with nothing new compiles nothing.
function(write_if_changed path content)
  if(EXISTS "${path}")
    file(READ "${path}" previous)
  endif()
  if(NOT previous STREQUAL content)
    file(WRITE "${path}" "${content}")
  endif()
endfunction()
